set terminal svg size 900,540 dynamic font 'sans,11'
set output 'scale.svg'
set title 'Per-command cost of /bin/true against workspace size (median)'
set xlabel 'files in the workspace'
set ylabel 'milliseconds'
set logscale xy
set grid
set key outside right
set xrange [50:200000]
plot 'scale.dat' index 0 using 1:2 with linespoints title 'bare', 'scale.dat' index 1 using 1:2 with linespoints title 'landlock', 'scale.dat' index 2 using 1:2 with linespoints title 'rf-lib-elevated', 'scale.dat' index 3 using 1:2 with linespoints title 'rf-cli-elevated', 'scale.dat' index 4 using 1:2 with linespoints title 'rf-lib-unelevated', 'scale.dat' index 5 using 1:2 with linespoints title 'rf-cli-unelevated'
set terminal pngcairo size 900,540 font 'sans,10'
set output 'scale.png'
replot
