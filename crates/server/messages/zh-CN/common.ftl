# 各业务通用的答复。

# 同时存在多个问题：共 $count 个，$problems 为各问题的文字。
problems = 共 { $count } 个问题：{ $problems }
internal = 系统内部错误，已记录，请稍后再试。
unavailable = 数据库暂时不可用，请稍后再试。

# 规则库中规则的计量单位，跟在数值之后。
unit = { $unit ->
    [days] 日
    [working_days] 个工作日
    [hours] 小时
    [minutes] 分钟
    [months] 个月
    [years] 年
    [percent] %
    [fen] 分
   *[other] { $unit }
}
version_conflict = 案件已被他人修改，请刷新后重试。
rule_unavailable = 规则库或工作日历无法给出所需期限，请联系管理员检查。
invalid_reason = 请填写理由。
