module github.com/daoyue/daoyue

go 1.26.8
