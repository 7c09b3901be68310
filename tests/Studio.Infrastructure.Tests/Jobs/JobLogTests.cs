using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobLogTests
{
    [Fact]
    public void ParseLine_ReadsKubernetesNanosecondTimestamps()
    {
        var line = JobLogText.ParseLine("p", 1, "2026-11-28T23:40:00.123456789Z [rank1] epoch 1/10 loss 0.5");

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 40, 0, TimeSpan.Zero).AddTicks(1234567), line.Timestamp);
        Assert.Equal(("p", 1, "[rank1] epoch 1/10 loss 0.5"), (line.Pod, line.Rank, line.Text));
    }

    [Fact]
    public void ParseLine_WithoutTimestamp_KeepsTheText()
    {
        var line = JobLogText.ParseLine("p", 0, "plain text line");

        Assert.Null(line.Timestamp);
        Assert.Equal("plain text line", line.Text);
    }

    [Fact]
    public void Tail_KeepsTheEndWithinTheByteBudget_AndParsesBack()
    {
        var lines = Enumerable.Range(0, 1000).Select(i => JobLogText.ParseLine("p", 0, $"2026-11-28T23:40:{i % 60:D2}.000000000Z line {i}")).ToList();

        var tail = JobLogText.Tail(lines, 1024);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(tail) <= 1024);
        var back = JobLogText.Parse("p", 0, tail);
        Assert.Equal("line 999", back[^1].Text);
        Assert.Equal(lines[^1].Timestamp, back[^1].Timestamp);
        Assert.True(back.Count > 10);
    }

    [Theory]
    [InlineData("train-abc", "train-abc", true)]
    [InlineData("train-abc", "train-abc-0-x7k2m", true)]
    [InlineData("train-abc", "train-abcd-0", false)]
    [InlineData("train-abc", "other", false)]
    [InlineData("train-abc", null, false)]
    public void BelongsTo_MatchesTheJobAndItsPods(string job, string? name, bool belongs) => Assert.Equal(belongs, JobViews.BelongsTo(job, name));
}
