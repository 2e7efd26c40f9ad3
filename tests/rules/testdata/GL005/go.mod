module example.com/gl005

go 1.22
