using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class SchedulingExplainerTests
{
    [Theory]
    [InlineData(
        "0/7 nodes are available: 1 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector.",
        "None of the 7 nodes can take a pod now: 1 has too little free GPUs; 6 are not in the instance type's node pool (node selector).")]
    [InlineData(
        "0/3 nodes are available: 3 Insufficient cpu, 2 Insufficient memory.",
        "None of the 3 nodes can take a pod now: 3 have too little free CPU; 2 have too little free memory.")]
    [InlineData(
        "0/4 nodes are available: 2 node(s) had untolerated taint {sku: gpu}, 1 node(s) were unschedulable, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.",
        "None of the 4 nodes can take a pod now: 2 are reserved for other workloads (taint sku=gpu); 1 is cordoned (unschedulable); 1 is not ready.")]
    [InlineData(
        "0/2 nodes are available: 2 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
        "None of the 2 nodes can take a pod now: 2 are at their pod limit.")]
    [InlineData(
        "0/7 nodes are available: pod group \"train-x\" has 1 of its 2 minimum members.",
        "The job's pods are placed together: 1 of its 2 pods are ready to be placed; it waits for the rest. None of the 7 nodes can take a pod now.")]
    [InlineData(
        "0/7 nodes are available: 1 Insufficient nvidia.com/gpu; pod group \"train-x\" needs 2 members placed together, only 1 fit.",
        "The job's 2 pods must be placed together and only 1 fit now. None of the 7 nodes can take a pod now: 1 has too little free GPUs.")]
    [InlineData("0/0 nodes are available.", "The cluster has no nodes.")]
    [InlineData("something the scheduler never said", "something the scheduler never said")]
    [InlineData(null, "Waiting for the scheduler to place the pods.")]
    public void Explain_TurnsSchedulerMessagesIntoPlainWords(string? message, string expected) =>
        Assert.Equal(expected, SchedulingExplainer.Explain(message));
}
