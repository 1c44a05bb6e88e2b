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
court_not_found = 没有该法院，或该法院不在您的管辖范围内。

## 文字的统一检查（所有人工填写的文字：名称、地址、理由、备注……）。$field 为字段代码，
## $char 为被拒绝的字符（U+XXXX），$min、$max 为字数界限。

text-field = { $field ->
    [name] 名称
    [legal_representative] 法定代表人
    [issuing_body] 作出执行依据的机关
    [document_number] 执行依据文号
    [duties] 应履行的义务
    [late_reason] 逾期立案的理由
    [address] 地址
    [reason] 理由
    [note] 备注
    [title] 标题
    [body] 正文
    [content] 内容
    [description] 说明
    [facts] 事实
    [display_name] 姓名
   *[other] 填写的文字
}
text_control_character = { text-field }中含有控制字符（{ $char }），请删除后重新填写。
text_bidi_control = { text-field }中含有改变文字方向的字符（{ $char }），请删除后重新填写。
text_invisible = { text-field }不能为空，也不能只有空格或不可见字符。
text_too_short = { text-field }至少 { $min } 个字。
text_too_long = { text-field }最多 { $max } 个字。

# 跨站请求防护：提交不是来自本平台自己的页面，或缺少（或带错）页面上的表单令牌。什么也没有改变。
csrf_rejected = 未予办理，什么也没有改变：这次提交不是从本平台的页面发出的，或者页面已经过期，请回到本平台的页面刷新后重新提交。
