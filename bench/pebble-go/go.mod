module github.com/charms/bench/pebble-go

go 1.26.5

require (
	github.com/canonical/pebble v1.32.1
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/gorilla/websocket v1.5.3 // indirect
	golang.org/x/sys v0.46.0 // indirect
)
