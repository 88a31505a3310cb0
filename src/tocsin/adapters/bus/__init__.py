"""Transports that carry committed events to subscribers: in-process now, NATS when scaled out."""
