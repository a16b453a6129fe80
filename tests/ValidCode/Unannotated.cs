using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ValidCode
{
    /// <summary>Ordinary code with lock statements and no annotations: the analyzer must stay silent.</summary>
    public sealed class EventHub
    {
        private readonly object _gate = new object();
        private readonly List<Action<string>> _handlers = new();
        private int _published;

        public event Action<string> Published
        {
            add { lock (_gate) { _handlers.Add(value); } }
            remove { lock (_gate) { _handlers.Remove(value); } }
        }

        public void Publish(string message)
        {
            Action<string>[] handlers;
            lock (_gate)
            {
                handlers = _handlers.ToArray();
                _published++;
            }

            foreach (var handler in handlers)
            {
                handler(message);
            }
        }

        public IEnumerable<int> Snapshot()
        {
            int[] copy;
            lock (_gate)
            {
                copy = Enumerable.Range(0, _published).ToArray();
            }

            foreach (var item in copy)
            {
                yield return item;
            }
        }

        public async Task<int> CountLaterAsync()
        {
            await Task.Delay(1).ConfigureAwait(false);
            lock (_gate)
            {
                return _published;
            }
        }

        public bool TryPublishFast(string message)
        {
            if (!Monitor.TryEnter(_gate))
            {
                return false;
            }

            try
            {
                _published++;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            return message.Length > 0;
        }

        public void Nested(EventHub other)
        {
            lock (_gate)
            {
                lock (other._gate)
                {
                    _published += other._published;
                }
            }
        }

        public int Loop(int rounds)
        {
            var total = 0;
            for (var i = 0; i < rounds; i++)
            {
                lock (_gate)
                {
                    if (_published == 0)
                    {
                        continue;
                    }

                    if (_published > 1000)
                    {
                        break;
                    }

                    total += _published;
                }
            }

            return total;
        }

        public int Switch(int kind)
        {
            lock (_gate)
            {
                switch (kind)
                {
                    case 0:
                        return _published;
                    case 1:
                        _published = 0;
                        goto default;
                    default:
                        return -1;
                }
            }
        }

        public void WithLocalFunction()
        {
            lock (_gate)
            {
                Bump();
            }

            void Bump() => _published++;
        }

        public void Catches()
        {
            lock (_gate)
            {
                try
                {
                    _published = checked(_published + 1);
                }
                catch (OverflowException)
                {
                    _published = 0;
                }
            }
        }
    }
}
