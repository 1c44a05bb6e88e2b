# 监督与指挥：督办、事项委托、执行信访与音视频记录。字数上限等数值以参数传入（$min、$max），
# 此处不写任何数值。

oversight-task-status = { $status ->
    [requested] 待接收
    [accepted] 办理中
    [declined] 已拒收
    [completed] 已办结
   *[other] { $status }
}

## 通用

empty_text = 内容不能为空。
oversight_text_too_long = 内容过长（最多 { $max } 字）。
concurrent_change = 该事项已被他人办理，请刷新后重试。

## 督办

supervision_not_downward = 督办只能向本院的下级法院发出。
deadline_in_past = 办理期限（{ $deadline }）不能早于今天（{ $today }）。
supervision_deadline_date = 办理期限“{ $deadline }”不是有效日期，请按“年-月-日”填写。
case_not_of_court = 第 { $case_id } 号案件不是{ $court }的案件。
supervision_closed = 督办事项已办结，不能再办理。
no_reply_to_decide = 下级法院尚未回复（发出或退回后），暂不能办结或退回。

## 事项委托

same_court = 事项只能委托其他法院办理，不能委托本院（{ $court }）。
unknown_act = 委托事项“{ $act }”不明，只能是冻结、续冻、扣划、查封、调查或送达。
task_already_answered = 该委托事项已接收或已拒收（{ oversight-task-status }），不能再次答复。
task_not_accepted = 请先接收委托事项，再回复办理结果。
task_finished = 该委托事项已办结或已拒收（{ oversight-task-status }）。
documents_required = 回复办理结果须附至少一份文书。
empty_document = 第 { $no } 份文书（{ $name }）是空文件。
entrusted_field_duplicate = 表单中“{ $field }”重复填写。
entrusted_field_too_long = 表单中“{ $field }”过长（最多 { $max } 字节）。
entrusted_field_not_text = 表单中“{ $field }”不是有效的文字（须为 UTF-8 编码）。
entrusted_field_unknown = 表单中有无法识别的项“{ $field }”，只能填写办理结果（result）和文书（document）。

## 执行信访

unknown_channel = 信访渠道“{ $channel }”不明，只能是来访、来信、热线或网上信访。
invalid_complainant = 信访人姓名须为 { $min } 至 { $max } 个字。
invalid_summary = 信访内容须为 { $min } 至 { $max } 个字。
complaint_received_date = 收到日期“{ $received_on }”不是有效日期，请按“年-月-日”填写。
received_in_future = 收到日期（{ $received_on }）不能晚于今天（{ $today }）。
already_resolved = 该信访已办结，不能再次办结。
complaint_result_length = 办理结果须为 { $min } 至 { $max } 个字。
unknown_status = 信访状态“{ $status }”不明，只能是已登记（registered）或已办结（resolved）。
complaint_limit = 每页条数须为 { $min } 至 { $max }。

## 音视频记录

unknown_recording_kind = 记录类别“{ $kind }”不明，只能是执法记录仪视频（body_camera）、热线录音（hotline）或其他（other）。
empty_recording = 上传的内容为空，请上传录音录像文件。
