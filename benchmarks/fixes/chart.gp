# Chart of docs/benchmarks.md; run by run.sh: gnuplot -e "datafile='…'; outfile='…'" chart.gp
# datafile columns: endpoint label, rps before, rps after, p99 ms before, p99 ms after
set terminal pngcairo size 1200,560 font "sans,11"
set output outfile
set multiplot layout 1,2 title "Storefront before and after PerfRules' fixes (same run, same machine; log scales)" font "sans,13"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set xtics rotate by -30 nomirror
set key top left
set title "Throughput: requests per second (higher is better)"
set ylabel "requests/s"
plot datafile using 2:xtic(1) title "before" lc rgb "#c0504d", '' using 3 title "after" lc rgb "#4f81bd"
set title "Tail latency: p99 in ms (lower is better)"
set ylabel "p99 latency (ms)"
plot datafile using 4:xtic(1) title "before" lc rgb "#c0504d", '' using 5 title "after" lc rgb "#4f81bd"
unset multiplot
