# 公众服务：当事人查询、公告。

access_denied = 案号或查询码不正确。
access_locked = 输错次数过多，该案号已被暂时锁定，请稍后再试。
search_too_long = 查询内容过长，请缩短后再查。
announcement_not_found = 未找到该公告。
clue_applicant_only = 财产线索由申请执行人提供；被执行人应当如实报告财产。
receipt_not_found = 未找到该回执号对应的提交记录，请核对回执号、案号和查询码。
