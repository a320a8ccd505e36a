# Convenience wrappers around ./run.sh (which needs nothing but sh).
.PHONY: all setup build demo check format
all: build
setup build demo check format:
	@./run.sh $@
