-- An alert's words as a message code and its parameters (JSON: {"code": …, "args": {…}}), so
-- that a page words it in the viewer's language from the catalogue. `message` stays: the
-- Chinese sentence the API has always returned, and the words of alerts raised before this.
ALTER TABLE alerts ADD COLUMN params TEXT;
