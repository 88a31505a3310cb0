"""Geographic adapters: the in-process address index the geocoder searches."""
