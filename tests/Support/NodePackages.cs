using System.Diagnostics;
using System.Security.Cryptography;

namespace Studio.Tests.Support;

/// <summary>
/// The npm packages of a test's helper server (the OIDC provider, Azurite, s3rver), installed with <c>npm ci</c> from the
/// committed lock file next to the copy in the test's output folder the first time — so a fresh CI machine needs only
/// Node.js — and again whenever the lock file changes. Shared by the test projects (linked, not copied).
/// </summary>
public static class NodePackages
{
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task EnsureInstalledAsync(string folder, CancellationToken cancellationToken)
    {
        var stamp = Path.Combine(folder, "node_modules", ".studio-lock-sha256");
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, "package-lock.json"), cancellationToken)));
        bool Installed() => File.Exists(stamp) && File.ReadAllText(stamp) == lockHash;
        if (Installed())
        {
            return;
        }

        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Installed())
            {
                return;
            }

            var start = new ProcessStartInfo("npm")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                start.ArgumentList.Add(argument);
            }

            using var npm = Start(start, "npm");
            var output = npm.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = npm.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(InstallLimit);
            try
            {
                await npm.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Kill(npm);
                throw new InvalidOperationException($"npm ci in {folder} did not finish within {InstallLimit.TotalMinutes} minutes.");
            }

            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {folder} failed with exit code {npm.ExitCode}.\n{await output}\n{await errors}");
            }

            await File.WriteAllTextAsync(stamp, lockHash, cancellationToken);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Starts a Node.js tool; a missing <c>node</c>/<c>npm</c> is named as what the tests need.</summary>
    public static Process Start(ProcessStartInfo start, string tool)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"These tests need Node.js 20.19 or later with npm on PATH ('{tool}' could not be started).", e);
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }
    }
}
