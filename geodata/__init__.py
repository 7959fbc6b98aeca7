"""The shipped data of corridors: the top-level geodata/ folder, installed as corridors.geodata."""
