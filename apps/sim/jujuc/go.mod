module charm-sim/jujuc

go 1.22
