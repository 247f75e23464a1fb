"""Data safety screens: opening with locks and damage handled, backups, the change log."""
