# Chart of docs/benchmarks.md; run by run.sh: gnuplot -e "datafile='…'; outfile='…'" chart.gp
# datafile columns: endpoint label, requests/s before, after, p99 ms before, after, peak RSS MiB before, after
set terminal pngcairo size 1700,620 font "sans,11"
set output outfile
set multiplot layout 1,3 title "Storefront before and after PerfRules' fixes (medians of the rounds of one run, same machine)" font "sans,13"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by 35 right nomirror
set rmargin 4
set bmargin 9
set key outside top center horizontal
set logscale y
set title "Throughput: requests/s (higher is better, log scale)"
set ylabel "requests/s"
plot datafile using 2:xtic(1) title "before" lc rgb "#c0504d", '' using 3 title "after" lc rgb "#4f81bd"
set title "Tail latency: p99 in ms (lower is better, log scale)"
set ylabel "p99 latency (ms)"
plot datafile using 4:xtic(1) title "before" lc rgb "#c0504d", '' using 5 title "after" lc rgb "#4f81bd"
unset logscale y
set yrange [0:*]
set title "Peak RSS of the server in MiB (lower is better)"
set ylabel "MiB"
plot datafile using 6:xtic(1) title "before" lc rgb "#c0504d", '' using 7 title "after" lc rgb "#4f81bd"
unset multiplot
