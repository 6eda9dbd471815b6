// The tests here kill silos and time what the survivors do: each runs hundreds of rollouts, silo processes or a KubeSim
// in this process. Run side by side on a 2-core CI machine, one starved the other's KubeSim until its restarted silo's
// calls timed out and opened the cluster's circuit (a pause 20 s late), or updated a hundred rollouts so slowly that
// their pauses were over before it looked. One at a time they measure the silo, not each other.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
