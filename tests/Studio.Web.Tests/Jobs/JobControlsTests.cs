using Bunit;
using Studio.Domain;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;
using Studio.Web.Components.Controls;
using Studio.Web.Model;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Jobs;

public sealed class JobControlsTests : StudioTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static readonly LogLineView[] Lines =
    [
        new("train-0", 0, "rank", "epoch 1/10 step 1 loss 2.30"),
        new("train-1", 1, "rank", "epoch 1/10 step 1 loss 2.31"),
        new("train-0", 0, "rank", "epoch 2/10 step 1 loss 1.10"),
    ];

    [Fact]
    public void LogView_Merged_PrefixesEachLineWithItsRankInTheRanksColour()
    {
        var cut = Render<JobLogView>(p => p.Add(x => x.Lines, Lines).Add(x => x.ShowPrefix, true));

        var prefixes = cut.FindAll(".studio-log-prefix");
        Assert.Equal(["[rank 0]", "[rank 1]", "[rank 0]"], prefixes.Select(p => p.TextContent.Trim()));
        Assert.Contains(JobDisplay.RankColour(1), prefixes[1].GetAttribute("style"), StringComparison.Ordinal);
        Assert.NotEqual(JobDisplay.RankColour(0), JobDisplay.RankColour(1));
    }

    [Fact]
    public void LogView_Search_KeepsOnlyMatchingLinesAndCountsThem()
    {
        var cut = Render<JobLogView>(p => p.Add(x => x.Lines, Lines).Add(x => x.ShowPrefix, true));

        cut.Find("input[data-testid=log-search]").Input("epoch 2");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".studio-log-line")));
        Assert.Contains("loss 1.10", cut.Find(".studio-log-line").TextContent, StringComparison.Ordinal);
        Assert.Equal("1 of 3 line(s) match", cut.Find("[data-testid=log-matches]").TextContent.Trim());
    }

    [Fact]
    public void LogView_PerPod_HasNoPrefix()
    {
        var cut = Render<JobLogView>(p => p.Add(x => x.Lines, Lines.Where(l => l.Pod == "train-1").ToList()).Add(x => x.ShowPrefix, false));

        Assert.Empty(cut.FindAll(".studio-log-prefix"));
        Assert.Equal("epoch 1/10 step 1 loss 2.31", cut.Find(".studio-log-line").TextContent.Trim());
    }

    [Fact]
    public void Explainer_ForAFailure_ShowsHeadlineFactsAndHint()
    {
        var explanation = new JobExplanation(ExplanationKind.Failure, "Out of memory (OOMKilled)", "Rank 1 used more than its 2 GiB memory limit (exit 137).", "Choose an instance type with more memory.", [], null, []);

        var cut = Render<JobExplainer>(p => p.Add(x => x.Explanation, explanation));

        Assert.Contains("Why it failed: Out of memory (OOMKilled)", cut.Find("[data-testid=explainer-headline]").TextContent, StringComparison.Ordinal);
        Assert.Contains("exit 137", cut.Find("[data-testid=explainer-detail]").TextContent, StringComparison.Ordinal);
        Assert.Contains("more memory", cut.Find("[data-testid=explainer-hint]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Explainer_ForAQueuedJob_ShowsQueueAndWhatWouldFit()
    {
        var explanation = new JobExplanation(ExplanationKind.Pending, "Waiting for 4 GPUs", "No node has 4 free GPUs.", null, ["gpu-a100: needs 4 GPUs per pod; largest free block is 2 on gpu-a100-0"], 3, ["2 instances of gpu-a100", "instance type t4-1"]);

        var cut = Render<JobExplainer>(p => p.Add(x => x.Explanation, explanation));

        Assert.NotNull(cut.Find("[data-testid=pending-explainer]"));
        Assert.Contains("3 job(s) ahead", cut.Find("[data-testid=explainer-queue]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("[data-testid=explainer-alternatives] li").Count);
    }

    [Fact]
    public void Explainer_ForAJobThatCanNeverFit_SaysItWillNotStart_WithoutAQueueLine()
    {
        var explanation = new JobExplanation(ExplanationKind.NeverFits, "Cannot start on this cluster: at most 1 instance of gpu-a100 fit even when the matching nodes are empty, and it needs 3 placed together", "0/7 nodes are available.", "It will not start by itself. Cancel it, then re-run it with at most 1 instance or another instance type.", [], null, []);

        var cut = Render<JobExplainer>(p => p.Add(x => x.Explanation, explanation));

        Assert.StartsWith("Why it will not start: Cannot start on this cluster", cut.Find("[data-testid=explainer-headline]").TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-outlined-warning", cut.Find("[data-testid=pending-explainer]").ClassName, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=explainer-queue]"));
        Assert.Contains("will not start by itself", cut.Find("[data-testid=explainer-hint]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_ShowsTimestampsOfReachedStatesAndWhatIsAhead()
    {
        var steps = TimelineStep.Build([(JobState.Queued, T0, null), (JobState.Running, T0.AddSeconds(30), null)], JobState.Running);

        var cut = Render<JobTimeline>(p => p.Add(x => x.Steps, steps));

        Assert.Contains(HumanUnits.Timestamp(T0), cut.Find("[data-testid=timeline-Queued]").TextContent, StringComparison.Ordinal);
        Assert.Contains("current", cut.Find("[data-testid=timeline-Running]").ClassName, StringComparison.Ordinal);
        Assert.Contains("not yet", cut.Find("[data-testid=timeline-Completed]").TextContent, StringComparison.Ordinal);
    }
}
