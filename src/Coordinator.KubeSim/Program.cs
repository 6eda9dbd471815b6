Console.WriteLine("KubeSim");
