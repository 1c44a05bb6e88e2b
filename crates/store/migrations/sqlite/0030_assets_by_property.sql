-- The same property (an institution's record: a house's certificate, a plate, an account)
-- found in other cases: the web of related parties and property (issue 17) looks it up by
-- the institution and its reference, across every court.
CREATE INDEX assets_property ON assets (institution_id, reference, case_id);
