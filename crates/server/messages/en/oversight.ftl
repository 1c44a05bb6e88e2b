# Oversight and the command centre: supervision orders, entrusted tasks, complaints and
# recordings. Limits come as parameters ($min, $max), never written here.

oversight-task-status = { $status ->
    [requested] requested
    [accepted] accepted
    [declined] declined
    [completed] completed
   *[other] { $status }
}

## Common

empty_text = the text must not be empty
oversight_text_too_long = the text is too long (at most { $max } characters)
concurrent_change = it was changed meanwhile; read it again

## Supervision orders (督办)

supervision_not_downward = a supervision order goes only to a court below the issuing court
deadline_in_past = the deadline ({ $deadline }) must not be before today ({ $today })
supervision_deadline_date = deadline "{ $deadline }" is not a date YYYY-MM-DD
case_not_of_court = case { $case_id } is not a case of { $court }
supervision_closed = the supervision order is closed
no_reply_to_decide = the subordinate court has not replied since the order was issued or sent back

## Entrusted tasks (事项委托)

same_court = a task is entrusted to another court, not to the court handling the case ({ $court })
unknown_act = unknown act "{ $act }": freeze, renew, deduct, seal, investigate or serve
task_already_answered = the task has already been accepted or declined ({ oversight-task-status })
task_not_accepted = accept the task before returning its result
task_finished = the task is already finished ({ oversight-task-status })
documents_required = the result is returned with at least one document
empty_document = document { $no } ("{ $name }") is empty
entrusted_field_duplicate = { $field } is given more than once
entrusted_field_too_long = { $field } is too long (at most { $max } bytes)
entrusted_field_not_text = { $field } is not UTF-8 text
entrusted_field_unknown = unknown field "{ $field }": result and document

## Complaints (执行信访)

unknown_channel = unknown channel "{ $channel }": visit, letter, hotline or online
invalid_complainant = the complainant's name is { $min }–{ $max } characters
invalid_summary = the summary is { $min }–{ $max } characters
complaint_received_date = received_on "{ $received_on }" is not a date YYYY-MM-DD
received_in_future = received_on { $received_on } is after today ({ $today })
already_resolved = the complaint is already resolved
complaint_result_length = the result is { $min }–{ $max } characters
unknown_status = unknown status "{ $status }": registered or resolved
complaint_limit = limit: { $min }–{ $max }

## Recordings (音视频记录)

unknown_recording_kind = unknown kind "{ $kind }": body_camera, hotline or other
empty_recording = the body is empty: send the recording's bytes
