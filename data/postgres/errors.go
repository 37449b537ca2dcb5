package postgres

import (
	"database/sql"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/folio-mx/folio/domain"
)

// mapErr turns a driver or network error into a domain.Error with a
// Spanish message that says what to do; domain errors pass through and
// anything unknown is wrapped with op for the log. nil stays nil. where
// names the database (its DSN without password).
func mapErr(op, where string, err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			return domain.E(domain.Conflict, op, "Ya existe un registro con esos datos.", err)
		case pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "55P03":
			return domain.E(domain.Unavailable, op, "Otra estación de trabajo modificaba los mismos datos al mismo tiempo. Vuelva a intentarlo.", err)
		case pe.Code == "53100":
			return domain.E(domain.Unavailable, op, fmt.Sprintf("El disco del servidor de %s está lleno. Avise al administrador del servidor; no se guardó el último cambio.", where), err)
		case pe.Code == "28P01" || pe.Code == "28000":
			return domain.E(domain.Unavailable, op, fmt.Sprintf("El servidor %s rechazó el usuario o la contraseña. Revise la dirección de conexión.", where), err)
		case pe.Code == "3D000":
			return domain.E(domain.NotFound, op, fmt.Sprintf("La base de datos de %s no existe en el servidor. Créela (createdb) o revise la dirección.", where), err)
		case pe.Code == "25006":
			return domain.E(domain.Unavailable, op, fmt.Sprintf("El servidor de %s está en modo de solo lectura. Avise al administrador del servidor.", where), err)
		case pe.Code[:2] == "08" || pe.Code == "57P01" || pe.Code == "57P03":
			return unreachable(op, where, err)
		}
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.E(domain.NotFound, op, "No se encontró el registro.", err)
	case errors.As(err, &ce), errors.As(err, &ne):
		return unreachable(op, where, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func unreachable(op, where string, err error) error {
	return domain.E(domain.Unavailable, op, fmt.Sprintf("No se pudo conectar con el servidor PostgreSQL %s. Revise que el servidor esté encendido y accesible desde esta computadora, y vuelva a intentarlo.", where), err)
}
