-- A document whose cancellation is being asked of SAT right now is held
-- (stamping.CancelHolder): no payment receipt or credit note is posted
-- against it until the answer, and no second request is made. The hold
-- ends by itself at its instant (UTC text, fixed width), should Folio stop
-- during the PAC call. Not copied by a move: it lives for one PAC call.
CREATE TABLE cancel_holds (
	document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
	until       TEXT NOT NULL
);
