module example.com/gl016

go 1.22
