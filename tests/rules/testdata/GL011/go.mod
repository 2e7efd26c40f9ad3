module example.com/gl011

go 1.22
