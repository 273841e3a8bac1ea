set terminal svg size 1000,560 dynamic font 'sans,11'
set output 'spawn.svg'
set title 'Spawn latency of /bin/true (median, bar to p90), log scale'
set ylabel 'milliseconds'
set logscale y
set grid ytics
set style fill solid 0.6
set boxwidth 0.6
set xtics rotate by -35 left
set key off
set bmargin 9
set yrange [0.1:*]
plot 'spawn.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', '' using 0:2:2:3 with yerrorbars lc rgb '#222222' pt 0, '' using 0:2:(sprintf('%.1f', $2)) with labels offset 0,1 font ',9'
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'spawn.png'
replot
