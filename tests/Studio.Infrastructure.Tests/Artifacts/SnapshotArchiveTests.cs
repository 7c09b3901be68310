using Studio.Domain.Common;
using Studio.Infrastructure.Artifacts.Snapshots;

namespace Studio.Infrastructure.Tests.Artifacts;

public sealed class SnapshotArchiveTests
{
    private const long Mb = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<Result<SnapshotArchive>> ReadAsync(Stream zip, string folder = "", long max = 10 * Mb, int files = 1000, bool rootWhenMissing = false) =>
        SnapshotArchive.ReadAsync(zip, folder, rootWhenMissing, max, files, "code", Ct);

    [Fact]
    public async Task Read_SameFilesInAnotherOrderAndTime_HaveTheSameTreeHash()
    {
        using var a = (await ReadAsync(TestZips.Create([("train.py", "print(1)"), ("lib/util.py", "x = 2")], null, DateTimeOffset.Now.AddDays(-3)))).Value;
        using var b = (await ReadAsync(TestZips.Create([("./lib/util.py", "x = 2"), ("train.py", "print(1)")], null, DateTimeOffset.Now))).Value;
        using var c = (await ReadAsync(TestZips.Create(("train.py", "print(2)"), ("lib/util.py", "x = 2")))).Value;

        Assert.Equal(a.Snapshot.Hash, b.Snapshot.Hash);
        Assert.NotEqual(a.Snapshot.Hash, c.Snapshot.Hash);
        Assert.Equal(["lib/util.py", "train.py"], a.Files.Select(f => f.Path));
        Assert.Equal((2, 13L), (a.Snapshot.FileCount, a.Snapshot.SizeBytes));
        Assert.True(new FileInfo(a.ZipPath).Length > 0);
    }

    [Fact]
    public async Task Read_AppliesAmlignoreBeforeGitignore()
    {
        using var both = (await ReadAsync(TestZips.Create((".amlignore", "data/\n"), (".gitignore", "*.py\n"), ("train.py", "p"), ("data/big.bin", "x")))).Value;
        using var git = (await ReadAsync(TestZips.Create((".gitignore", "*.bin\n"), ("train.py", "p"), ("data/big.bin", "x")))).Value;

        Assert.Equal([".amlignore", ".gitignore", "train.py"], both.Files.Select(f => f.Path));
        Assert.Equal(1, both.IgnoredCount);
        Assert.Equal([".gitignore", "train.py"], git.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Read_TakesTheCodeFolder_OrTheZipItselfWhenItHasNoSuchFolder()
    {
        using var beside = (await ReadAsync(TestZips.Create(("job.yml", "command: x"), ("src/train.py", "p")), "src", rootWhenMissing: true)).Value;
        using var itself = (await ReadAsync(TestZips.Create(("train.py", "p")), "src", rootWhenMissing: true)).Value;
        var missing = await ReadAsync(TestZips.Create(("train.py", "p")), "src");

        Assert.Equal(["train.py"], beside.Files.Select(f => f.Path));
        Assert.Equal(beside.Snapshot.Hash, itself.Snapshot.Hash);
        Assert.Contains("no file or folder 'src'", missing.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.py", "'..'")]
    [InlineData("src/../../evil.py", "'..'")]
    [InlineData("/etc/cron.d/x", "absolute")]
    [InlineData("C:/Windows/x", "absolute")]
    [InlineData("src\\..\\evil.py", "backslash")]
    public async Task Read_RefusesEntriesThatLeaveTheFolder(string entry, string reason)
    {
        var read = await ReadAsync(TestZips.Create(("train.py", "p"), (entry, "x")));

        Assert.False(read.IsSuccess);
        Assert.Equal("code", read.Errors[0].Field);
        Assert.Contains(reason, read.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_RefusesSymbolicLinks()
    {
        var read = await ReadAsync(TestZips.Create([("train.py", "p")], symlink: "passwd"));

        Assert.Contains("symbolic link", Assert.Single(read.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_OverTheSizeLimit_IsTooLarge_CountingUnpackedBytes()
    {
        // Compresses to a few KiB: the limit holds on what the zip unpacks to, not on what it claims.
        var bomb = TestZips.Create(("zeros.txt", new string('0', 3 * (int)Mb)));
        Assert.True(bomb.Length < Mb);

        var read = await ReadAsync(bomb, max: 2 * Mb);
        var files = await ReadAsync(TestZips.Create(("a", "1"), ("b", "2"), ("c", "3")), files: 2);

        Assert.Equal("too_large", Assert.Single(read.Errors).Code);
        Assert.Equal("too_large", Assert.Single(files.Errors).Code);
    }

    [Fact]
    public async Task Read_NotAZip_IsAValidationError()
    {
        var read = await ReadAsync(new MemoryStream("not a zip"u8.ToArray()));

        Assert.Contains("not a readable zip", Assert.Single(read.Errors).Message, StringComparison.Ordinal);
    }
}
