"""System administration: installation status, accounts, the audit log."""
