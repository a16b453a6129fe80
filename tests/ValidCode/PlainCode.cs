using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Plain0
{
    public sealed class Order1
    {
        private readonly List<int> _lines = new List<int>();
        private string _customer = "c1";

        public int Total()
        {
            var total = 0;
            foreach (var line in _lines)
            {
                if (line < 0)
                {
                    continue;
                }

                total += line;
            }

            return total;
        }

        public void Add(int price, int quantity)
        {
            for (var k = 0; k < quantity; k++)
            {
                _lines.Add(price);
            }
        }

        public string Describe(bool verbose)
        {
            if (verbose)
            {
                return _customer + ": " + string.Join(", ", _lines);
            }

            return _customer;
        }

        public void Rename(string name)
        {
            _customer = string.IsNullOrEmpty(name) ? throw new ArgumentException(nameof(name)) : name;
        }

        public int Classify()
        {
            switch (_lines.Count)
            {
                case 0:
                    return 0;
                case 1:
                    return 1;
                default:
                    return _lines.Count > 10 ? 3 : 2;
            }
        }

        public async Task<int> LoadAsync()
        {
            await Task.Yield();
            try
            {
                return Total();
            }
            catch (InvalidOperationException)
            {
                return -1;
            }
        }
    }
}
