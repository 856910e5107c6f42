"""The staff desk: what the counter and the leader's window share, composed from the feature packages.

Features (cases, printing, statistics …) never import each other; the desk puts them
side by side and wires them (the case on screen → the print buttons).
"""
