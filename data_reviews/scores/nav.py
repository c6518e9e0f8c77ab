NAV_ITEMS: list = []
