def list_bookings():
    return {"bookings": []}
