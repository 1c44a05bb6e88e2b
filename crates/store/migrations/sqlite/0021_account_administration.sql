-- Account administration: an administrator's password reset makes the user choose a new
-- password at the next sign-in; until then the session reaches only the change form.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
