"""Every write of the petition register: the duplicate index and groups, imports, the
public tracking throttle."""
