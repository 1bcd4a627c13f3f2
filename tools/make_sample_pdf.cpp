// make-sample-pdf IN.txt OUT.pdf — lays out one of samples/*.txt as a PDF (see text_pdf.hpp).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "text_pdf.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make-sample-pdf IN.txt OUT.pdf\n");
    return 64;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "make-sample-pdf: cannot read %s\n", argv[1]);
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  if (!wenku::tools::WriteTextPdf(argv[2], ss.str())) {
    std::fprintf(stderr, "make-sample-pdf: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
