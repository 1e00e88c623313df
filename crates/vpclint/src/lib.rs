//! The vpclint command line: discovery, front ends, engine, renderers.
