module example.com/gl012

go 1.22
