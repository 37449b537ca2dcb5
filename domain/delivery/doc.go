// Package delivery sends stamped CFDI to customers and saves them to disk.
//
// E-mail is an outbox, like stamping (design decision 4): Outbox.Enqueue
// stores a delivery (document, recipients) in one transaction, and the
// Outbox worker renders the PDF from the stored stamped XML, sends XML + PDF
// through a Mailer and records the outcome. A server that cannot be reached
// (domain.Unavailable) is retried with exponential backoff and jitter; a
// refusal (domain.Rejected, domain.Invalid) ends the delivery as failed with
// the Spanish reason. Attempts hold a lease, so a delivery interrupted by a
// crash is sent again after a restart (at least once: a crash between the
// server's acceptance and the record of it sends the message twice).
//
// A delivery of a document that is still waiting for its stamp waits too:
// Folio never e-mails the unstamped PDF ("pendiente de timbrar") to a
// customer, because it has no fiscal validity. A document that SAT's PAC
// rejected or whose 72-hour window passed fails its delivery.
//
// Export writes XML and PDF of many documents to a folder with bounded
// workers and progress; it is the one place of the domain that touches the
// file system, because writing the files is its whole job.
//
// The package declares its ports (Store, SettingsStore, Mailer); data/sqlite
// and data/mail implement them. It imports no database or network package.
package delivery
