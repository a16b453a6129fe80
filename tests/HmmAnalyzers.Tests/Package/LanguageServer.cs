using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;

namespace HmmAnalyzers.Tests.Package
{
    /// <summary>
    /// A minimal Language Server Protocol client over a server's stdio: requests and notifications out; server requests
    /// answered (<c>workspace/configuration</c> from <see cref="Configuration"/>, anything else with null); notifications in
    /// ignored.
    /// </summary>
    internal sealed class LanguageServer : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<JsonObject> _incoming = new();
        private readonly StringBuilder _errors = new();
        private int _nextId;

        private LanguageServer(Process process, Func<string?, JsonNode?> configuration)
        {
            _process = process;
            Configuration = configuration;
            new Thread(ReadMessages) { IsBackground = true }.Start();
            process.ErrorDataReceived += (_, e) => { lock (_errors) { _errors.AppendLine(e.Data); } };
            process.BeginErrorReadLine();
        }

        /// <summary>The answer to one item of a <c>workspace/configuration</c> request, by its section.</summary>
        public Func<string?, JsonNode?> Configuration { get; }

        /// <summary>What the server wrote to stderr, for failure messages.</summary>
        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return _errors.ToString();
                }
            }
        }

        public static LanguageServer Start(string workingDirectory, string fileName, string arguments, Func<string?, JsonNode?> configuration)
        {
            var start = new ProcessStartInfo(fileName, arguments)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            DotNet.Configure(start);
            return new LanguageServer(Process.Start(start)!, configuration);
        }

        public void Notify(string method, JsonNode parameters)
            => Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

        /// <summary>Sends a request and waits for its response, answering the server's own requests meanwhile.</summary>
        public JsonNode? Request(string method, JsonNode? parameters, TimeSpan timeout)
        {
            var id = Interlocked.Increment(ref _nextId);
            Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            var deadline = DateTime.UtcNow + timeout;
            while (_incoming.TryTake(out var message, Remaining(deadline)))
            {
                if (message["method"] is { } serverMethod && message["id"] is { } requestId)
                {
                    Answer(serverMethod.GetValue<string>(), requestId.DeepClone(), message["params"]);
                }
                else if (message["method"] is null && message["id"]?.GetValue<int>() == id)
                {
                    return message["error"] is { } error ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}") : message["result"];
                }
            }

            throw new TimeoutException($"{method} got no response in {timeout}; the server wrote: {Errors}");
        }

        private static TimeSpan Remaining(DateTime deadline)
        {
            var left = deadline - DateTime.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        private void Answer(string method, JsonNode id, JsonNode? parameters)
        {
            JsonNode? result = null;
            if (method == "workspace/configuration" && parameters?["items"] is JsonArray items)
            {
                var answers = new JsonArray();
                foreach (var item in items)
                {
                    answers.Add(Configuration(item?["section"]?.GetValue<string>()));
                }

                result = answers;
            }

            Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result });
        }

        private void Send(JsonObject message)
        {
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
            var stream = _process.StandardInput.BaseStream;
            lock (stream)
            {
                stream.Write(header, 0, header.Length);
                stream.Write(body, 0, body.Length);
                stream.Flush();
            }
        }

        private void ReadMessages()
        {
            var stream = _process.StandardOutput.BaseStream;
            try
            {
                while (ReadHeaderLength(stream) is { } length)
                {
                    var body = new byte[length];
                    for (var read = 0; read < length;)
                    {
                        var count = stream.Read(body, read, length - read);
                        if (count == 0)
                        {
                            return;
                        }

                        read += count;
                    }

                    if (JsonNode.Parse(body) is JsonObject message)
                    {
                        _incoming.Add(message);
                    }
                }
            }
            catch (IOException)
            {
            }
            finally
            {
                _incoming.CompleteAdding();
            }
        }

        /// <summary>The Content-Length of the next message, or null at the end of the stream.</summary>
        private static int? ReadHeaderLength(Stream stream)
        {
            int? length = null;
            var line = new StringBuilder();
            while (true)
            {
                var next = stream.ReadByte();
                if (next < 0)
                {
                    return null;
                }

                if (next != '\n')
                {
                    line.Append((char)next);
                    continue;
                }

                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Length == 0)
                {
                    return length;
                }

                if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(text.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }
    }
}
