-- A document whose cancellation is being asked of SAT right now is held
-- (stamping.CancelHolder): no payment receipt or credit note is posted
-- against it until the answer, and no second request is made from another
-- workstation. The hold ends by itself at its instant, should the
-- workstation stop during the PAC call. Not copied by a move.
CREATE TABLE cancel_holds (
	document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
	until       TIMESTAMPTZ NOT NULL
);
