info registers eip eax ebx cs
x/i $pc
show architecture
x/5xb 0x1000
hbreak *0x1007
continue
delete
stepi
monitor host
