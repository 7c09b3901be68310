using System.Diagnostics;

namespace Studio.Leadership.Bench;

/// <summary>A <see cref="Candidate"/> child process; tells when it printed <c>LEADING</c>.</summary>
internal sealed class CandidateProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<DateTime> _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CandidateProcess(string mode, string target)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("Studio.Leadership.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(CandidateProcess).Assembly.Location); // run through the dotnet host
        }

        start.ArgumentList.Add("--candidate");
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(target);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "LEADING")
            {
                _leading.TrySetResult(DateTime.UtcNow);
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>When this candidate took the lead (UTC, as its line was read).</summary>
    public Task<DateTime> Leading => _leading.Task;

    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
