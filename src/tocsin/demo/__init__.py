"""The demo room's generators: a fictional town, its clients, sites and units, made from a seed (no download).

Pure functions of the seed; the seeding use case that writes them is :mod:`tocsin.services.demo`."""
