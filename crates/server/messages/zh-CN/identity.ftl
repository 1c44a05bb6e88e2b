# 身份与平台：账户、密码、法院、规则库。

weak_password = 密码须为 { $min } 至 { $max } 个字符。
invalid_username = 用户名须为 { $min } 至 { $max } 个字符，仅限 a–z、0–9、“.”“_”“-”。
invalid_display_name = 姓名须为 { $min } 至 { $max } 个字符。
invalid_roles = 角色设置有误。
no_role = 须至少指定一个角色。
unknown_role = 角色“{ $role }”无法识别。
invalid_scope = 范围无法识别：{ $detail }
invalid_rule = 规则版本有误，不予采用。
rule_version_invalid = 规则版本有误：{ $detail }
rule_date_invalid = { $field } 须为 YYYY-MM-DD 格式的日期。
rule_unit_unknown = 单位“{ $unit }”无法识别。
username_taken = 用户名 { $username } 已被占用。
rule_version_exists = 规则 { $rule } 自 { $effective_from } 起施行的版本已存在。
metrics_forbidden = 运行指标仅供运维人员的地址或令牌读取。
login_locked = 该账号登录失败次数过多，请稍后再试。
login_rate_limited = 本地址登录尝试过于频繁，请稍后再试。
login_busy = 当前登录请求过多，请稍后再试。

## 演练模式的系统时钟。
clock_not_simulated = 系统时间为真实时间：只有演练模式（zhixing demo --simulated-clock）的时钟可以拨快。
clock_backwards = 时钟只能向前拨：系统时间已是 { $now }（北京时间），请选择此后的时间。
clock_days_invalid = 每次可拨快 1 至 { $max } 天。
clock_time_invalid = 请填写日期（2026-02-01）或日期和时间（2026-02-01 09:30，北京时间）。
clock_advance_invalid = 请填写拨快的天数或要拨到的时间，二者择一。

# 规则库的双人审批：规则版本与年度官方工作日历的提议。
invalid_calendar = 工作日历有误，不予采用。
calendar_text_invalid = 工作日历有误：{ $detail }
calendar_exists = { $year } 年的官方工作日历已经载入，不予替换。
proposal_decided = 该提议已{ $status ->
    [approved] 批准
   *[rejected] 驳回
}。
proposal_not_found = 没有该提议。
rejection_reason = 请写明驳回的理由（至少 { $min } 个字）。

# 账号管理：停用、启用、重置密码、调整角色，以及本人修改密码。
user_not_found = 没有该账号。
own_account_disable = 不能停用本人的账号：否则本院可能无人管理账号。
own_administrator_role = 不能取消本人的系统管理员角色：否则本院可能无人管理账号。
account_already_disabled = 账号 { $username } 已经停用。
account_already_enabled = 账号 { $username } 已经启用。
current_password_wrong = 当前密码不正确。
password_unchanged = 新密码不能与当前密码相同。
password_change_required = 管理员已重置您的密码：请先设置新密码。
