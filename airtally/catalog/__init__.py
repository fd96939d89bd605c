"""Reference data shared by the whole project: the weapon catalogue and the regions registry."""
