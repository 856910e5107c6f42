#!/bin/sh
# /usr/bin/petition-hall: every command of the program (run --role …, self-test, doctor, backup, …).
exec /opt/petition-hall/petition-hall "$@"
