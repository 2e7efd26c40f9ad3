module leaktrail.dev/benchmarks/distinctdump

go 1.24
