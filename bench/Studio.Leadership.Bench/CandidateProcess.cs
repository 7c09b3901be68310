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
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
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
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine($"  candidate {_process.Id}: {line}");
            }
        };
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _leading.TrySetException(new InvalidOperationException($"candidate {_process.Id} exited with code {_process.ExitCode}"));
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
