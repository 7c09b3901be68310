using System.Globalization;

namespace Studio.Sandbox;

/// <summary>Parses the sandbox's command line and runs it standalone until Ctrl+C.</summary>
public static class SandboxCommandLine
{
    private const string Usage =
        "usage: Studio.Sandbox [--port PORT] [--kubeconfig FILE] [--topology FILE] [--speed X]\n" +
        "  --port PORT        loopback port to listen on (0 or omitted = a free port)\n" +
        "  --kubeconfig FILE  write a kubeconfig for the sandbox to FILE\n" +
        "  --topology FILE    node pools (YAML or JSON); default: a small built-in topology\n" +
        "  --speed X          simulated-time speed factor (> 0, default 1)";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SandboxOptions();
        string? kubeconfig = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (arg is not ("--port" or "--kubeconfig" or "--topology" or "--speed"))
            {
                return Fail($"unknown argument '{arg}'");
            }

            if (i + 1 >= args.Length)
            {
                return Fail($"{arg} needs a value");
            }

            var value = args[++i];
            switch (arg)
            {
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                    {
                        return Fail($"--port must be a number between 0 and 65535, got '{value}'");
                    }

                    options.Port = port;
                    break;
                case "--kubeconfig":
                    kubeconfig = Path.GetFullPath(value);
                    break;
                case "--topology":
                    if (!File.Exists(value))
                    {
                        return Fail($"--topology file '{value}' does not exist");
                    }

                    options.TopologyPath = Path.GetFullPath(value);
                    break;
                default:
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || speed <= 0 || double.IsInfinity(speed))
                    {
                        return Fail($"--speed must be a positive number, got '{value}'");
                    }

                    options.Speed = speed;
                    break;
            }
        }

        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(options).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return Fail("invalid topology: " + e.Message);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: could not listen on 127.0.0.1:{options.Port}: {e.Message}");
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            if (kubeconfig is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig)!);
                await File.WriteAllTextAsync(kubeconfig, server.CreateKubeconfigYaml()).ConfigureAwait(false);
            }

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                stop.Cancel();
            });
            var where = BaseAddressText(server);
            Console.WriteLine($"Sandbox cluster ready at {where} (kubeconfig: {kubeconfig ?? "not written"})");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C / SIGTERM: stop cleanly.
            }
        }

        return 0;
    }

    private static string BaseAddressText(SandboxServer server) => server.BaseAddress.ToString().TrimEnd('/');

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
