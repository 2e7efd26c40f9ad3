module example.com/bigdump

go 1.27
