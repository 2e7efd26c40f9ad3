module example.com/gl002

go 1.22
