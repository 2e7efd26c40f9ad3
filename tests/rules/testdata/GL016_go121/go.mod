module example.com/gl016_go121

go 1.21
